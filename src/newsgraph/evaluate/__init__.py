"""Evaluation against annotated corpora (PolNeAR attributions: `newsgraph.evaluate.polnear`)."""
