from evently.errors import DomainError


class NotificationNotFound(DomainError):
    status_code = 404
    default_detail = "Notification not found"


class RecipientInactive(DomainError):
    status_code = 409
    default_detail = "The account is deactivated: inactive accounts get no notifications"
