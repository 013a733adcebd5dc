/* depthbook review cards: [key, href, label, question, answer] */
(window.DEPTHBOOK_REVIEW = window.DEPTHBOOK_REVIEW || []).push({slug: "other", title: "Retries", cards: [
["6579b22c7049bbfe","q1.html#d1","Q1 › Depth 1","Why add jitter?","\u003cp\u003eSo that clients do not retry in lockstep: \u003cmath xmlns=\"http://www.w3.org/1998/Math/MathML\"\u003e\u003cmrow\u003e\u003cmi\u003et\u003c/mi\u003e\u003cmo\u003e=\u003c/mo\u003e\u003cmsup\u003e\u003cmn\u003e2\u003c/mn\u003e\u003cmi\u003ek\u003c/mi\u003e\u003c/msup\u003e\u003cmo\u003e⋅\u003c/mo\u003e\u003cmi\u003eb\u003c/mi\u003e\u003cmi\u003ea\u003c/mi\u003e\u003cmi\u003es\u003c/mi\u003e\u003cmi\u003ee\u003c/mi\u003e\u003c/mrow\u003e\u003c/math\u003e.\u003c/p\u003e\u000a"],
]});
