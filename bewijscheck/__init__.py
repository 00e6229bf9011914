"""bewijscheck package."""
