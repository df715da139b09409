"""Jinja2 templates for the Markdown and HTML briefs (laid out from ``render.BriefView``)."""
