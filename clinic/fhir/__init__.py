"""The patient's record as HL7 FHIR R4: the resources (plain Python), the read API with its
tokens, and the bundle the data export and ``clinic fhir export`` write (docs/fhir.md)."""
