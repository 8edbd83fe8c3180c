"""The web server: the store browsed in pages and served as a JSON API.

``app`` assembles the ASGI application (Starlette); ``catalogue`` holds the store's data as
the server reads it; ``selection`` and ``params`` read and validate the query string;
``routes/`` has one module per page, each with its JSON API and downloads; ``templates``
the HTML layout; ``crosslist`` what the cross-list matching provides; ``openapi`` the API
description and its docs page; ``headers`` the security headers; ``static/`` the CSS and
the one small script. ``magnitsky serve`` (``cli_web``) runs it with uvicorn.
"""
