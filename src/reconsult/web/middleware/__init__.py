"""What wraps every request and response: ASGI middleware.

``request_guard`` refuses requests another website could make on the person's behalf
(unknown host names, cross-site posts, plain HTTP to a public name); ``security_headers``
adds the no-scripts, no-framing, no-caching headers to every answer; ``audit_trail``
(server mode) writes the audit entry a case request queued once its status is known.
"""
