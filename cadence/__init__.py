"""Cadence: continuous performance management and employee development."""
