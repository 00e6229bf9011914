"""extractors/classify"""
