"""What a file storage raises when it cannot be reached, as one exception the apps can catch.

Local disk raises OSError; object storage (django-storages on boto3) raises botocore's
errors: no connection, a time-out, or an error answer from the provider. A view that needs
a file says "try again in a few minutes" for all of them instead of an error page.
"""

from botocore.exceptions import BotoCoreError, ClientError

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageUnavailable(Exception):
    """The file storage could not be read or written just now (the cause is chained)."""
