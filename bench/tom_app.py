"""An empty Streamlit app with one KPI: the cold-start yardstick that bench/run.py measures beside app.py."""
import streamlit as st

st.metric("Kostnad", "0 kr")
