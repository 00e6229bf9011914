"""Document model and pure pipeline stages of bewijscheck."""

PIPELINE_VERSION = "0.1.0"
