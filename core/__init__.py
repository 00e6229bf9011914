"""The core layer: the document model, enums, settings, errors and the input and report
formats. It imports nothing of bewijscheck's other layers."""

PIPELINE_VERSION = "0.1.0"
