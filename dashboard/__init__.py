"""The Streamlit dashboard: thin views over the geodata library."""
