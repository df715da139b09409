"""JSON Schemas shipped with summarizer."""
