"""A person's own data across every domain: taking it away (export.py) and closing the account
(deletion.py). It sits above the domains it reads and erases, so accounts stays at the bottom."""
