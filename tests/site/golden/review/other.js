/* depthbook review cards: [key, href, label, question, answer] */
(window.DEPTHBOOK_REVIEW = window.DEPTHBOOK_REVIEW || []).push({slug: "other", title: "Retries", cards: [
["6579b22c7049bbfe","q1.html#d1","Q1 › Depth 1","Why add jitter?","\u003cp\u003eSo that clients do not retry in lockstep: \u003cspan class=\"math\"\u003et = 2\u003csup\u003ek\u003c/sup\u003e ⋅ base\u003c/span\u003e.\u003c/p\u003e\u000a"],
]});
