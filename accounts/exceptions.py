from evently.errors import DomainError


class EmailAlreadyRegistered(DomainError):
    status_code = 400
    default_detail = "Email already registered"


class InvalidCredentials(DomainError):
    status_code = 401
    default_detail = "Invalid credentials"

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class UserNotFound(DomainError):
    status_code = 404
    default_detail = "User not found"


class AccountDeactivated(DomainError):
    """An admin promotion of a deactivated account: an inactive admin could not log in."""

    status_code = 409
    default_detail = "The account is deactivated: reactivate it first"


class LastAdmin(DomainError):
    status_code = 409
    default_detail = "Cannot remove the last admin"


class UserChangedMeanwhile(DomainError):
    """An edit made on a view of the account (the staff console's page) that no longer shows
    it: someone else changed one of the fields it showed since."""

    status_code = 409
    default_detail = (
        "This account was changed since this page was shown (by someone else, or in another tab). "
        "Nothing was saved: the page now shows the account as it is; make your change again."
    )


class WeakPassword(DomainError):
    """The password breaks AUTH_PASSWORD_VALIDATORS; `errors` = {"password": [messages]}."""

    status_code = 422
    default_detail = "password: Password is too weak"

    def __init__(self, messages: list[str]) -> None:
        super().__init__(f"password: {messages[0]}", errors={"password": messages})


class PasswordChangedMeanwhile(DomainError):
    """A password change read the account before another change ended its tokens (a reset,
    another session's password change, a deactivation): it must not be written over it."""

    status_code = 409
    default_detail = "The password was changed meanwhile: log in again with the new one"


class InvalidResetLink(DomainError):
    status_code = 400
    default_detail = "Invalid or expired link"
