"""Server mode: accounts, sessions, clinics, shares of a case, the audit log and rate limits.

``tables`` holds the database tables; ``passwords`` hashes with argon2id;
``users`` signs people up and in and changes or resets passwords;
``invitations`` makes and uses the one-time links that make an account;
``sessions`` keeps signed-in browsers in the database so any worker can
check them and signing out revokes them; ``access`` decides who may see or
change a case and manages clinics and shares; ``audit`` writes and reads the
log of who read or changed a case; ``rate_limits`` counts attempts in the
database so every worker shares one count; ``sign_in`` checks a password
within limits that count only wrong ones and trust browsers that signed in
before; ``addresses`` groups network addresses the way the limits count them;
``directory`` lists the accounts for the server's operator.
"""
