"""The worker sends webhooks too: the loopback receiver of the webhook tests, shared."""

from tests.webhooks.conftest import receiver  # noqa: F401 - a fixture, imported to be found here
