"""Intake: the questionnaire a patient answers at the desk or on the kiosk, its screening
results, and the therapists' decisions on red flags."""
