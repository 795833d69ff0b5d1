"""newsdesk's analysis library: text → sentences → countries → entities → pairs, plus keywords; no UI."""
