"""The first confidence question set's wording (seeded by migration 8c3d5a7e1b42)."""

QUESTION_SET_NAME = "Confidence check"
FIRST_QUESTIONS = {
    "overall": "How confident do you feel using the internet on your own?",
    "fnd": "How confident do you feel with the basics: using a device, wifi, passwords and settings?",
    "com": "How confident do you feel keeping in touch online: email, messages and video calls?",
    "hic": "How confident do you feel finding and keeping information online?",
    "tra": "How confident do you feel buying things, paying and using services online?",
    "prb": "How confident do you feel sorting out problems, or finding help, online?",
    "saf": "How confident do you feel staying safe and avoiding scams online?",
}
SCALE = {1: "1 – not at all", 2: "2", 3: "3", 4: "4", 5: "5 – very"}
