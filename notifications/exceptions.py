from evently.errors import DomainError


class NotificationNotFound(DomainError):
    status_code = 404
    default_detail = "Notification not found"
