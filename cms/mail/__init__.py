"""Outgoing mail: written to an outbox in the event's transaction, sent after commit, retried with backoff."""
