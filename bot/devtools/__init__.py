"""Development tools, not app assembly: the Slack Web API stand-in, signed request builders and the local shell.

Local mode and the tests use them; a production deployment imports none of them.
"""
