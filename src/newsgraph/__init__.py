"""newsgraph: news articles in, attributed facts with evidence out."""

from newsgraph.article import Article

__version__ = "0.1.0"

__all__ = ["Article", "__version__"]
