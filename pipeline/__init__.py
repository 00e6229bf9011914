"""The run layer: one document through the stages (admission, text, classification, fields,
visual evidence), rules over a registration, pre-screen, batch work, bucket intake."""
