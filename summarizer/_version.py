__version__ = "0.1.0"
# Every Markdown and HTML brief says it is ours ("<!-- generator: summarizer 0.1.0 -->"), so
# that ingest never reads a brief summarizer wrote as an article.
GENERATOR = "generator: summarizer"
