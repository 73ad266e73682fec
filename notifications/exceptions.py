from evently.errors import DomainError


class NotificationNotFound(DomainError):
    status_code = 404
    default_detail = "Notification not found"


class RecipientInactive(DomainError):
    status_code = 409
    default_detail = "The account is deactivated: inactive accounts get no notifications"


class NotificationOutdated(DomainError):
    status_code = 409
    default_detail = (
        "The booking has changed since: this notification no longer says where it stands, "
        "so it is not sent again"
    )
