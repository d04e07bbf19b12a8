"""Work done outside a request: sending the rows the mail outbox and the webhook deliveries hold, with
retries and backoff (``retrying``), by hand (``commands``) or on a schedule by ``cms worker`` (``worker``)."""
