"""Server mode: who is asking, what they may open, how often, and signing in.

``identity`` reads the session cookie (and API token) to find the signed-in account;
``guard`` decides in one place which pages and cases each person may reach; ``rate_limit``
counts sign-ups, assessments and uploads across workers; ``sign_in`` checks a password
from the sign-in page or the API with the same limits and trusted-browser cookie. The
first three run as app-wide dependencies on every route (they do nothing in personal mode).
"""
