"""Accounts: users, roles, passwords, tokens and the pages and API that register and sign them in."""
