from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Username/password login where the username is the email, matched case-insensitively
    (`UserManager.get_by_natural_key`). ModelBackend already hashes a dummy password for
    unknown emails, so the response time does not reveal which emails exist."""
