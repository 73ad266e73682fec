"""OpenAPI: declare the bearer-token scheme of our simplejwt authentication subclass."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class BearerTokenScheme(SimpleJWTScheme):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"
