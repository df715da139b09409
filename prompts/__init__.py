"""Prompt templates (Jinja2), shipped inside the package as ``summarizer.prompts``.

Each template is versioned by the sha256 of its bytes: that hash is part of the cache key of
every answer made with it, so editing a prompt stops old answers from being served.

- ``extract.j2``: the ``llm`` extraction backend's prompt (numbered sentences and quotation
  spans; the model answers with ids and its own labels, never copied text).
"""
