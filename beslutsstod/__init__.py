"""Beslutsstöd för socialnämnden: kostnader för hemtjänst och kommunal primärvård i annan kommun."""
