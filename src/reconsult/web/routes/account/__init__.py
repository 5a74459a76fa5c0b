"""Server mode: the account pages under /account, one module per task.

``sign_in``: sign in and out; ``sign_up``: make an account, by invitation or openly;
``password``: change a password or reset a forgotten one; ``activity``: the account page and
who opened or changed your cases. ``forms`` holds what they share: the text boxes, drawing
a form, and signing in a browser once an account is made.
"""
