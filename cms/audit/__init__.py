"""The audit log: one line per staff action that matters later (publishing, deleting, roles, keys)."""
