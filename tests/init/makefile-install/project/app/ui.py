import streamlit as st

st.title("churn model")
