"""Keywords per article: YAKE's statistics reranked by coverage, deduplicated by stems."""
