/* depthbook search index: [href, label, question, answer] */
(window.DEPTHBOOK_SEARCH = window.DEPTHBOOK_SEARCH || {})["other"] = {title: "Retries", entries: [
["other/q1.html","Q1","How do you retry safely?","With idempotency keys and exponential backoff; see the sample’s caching question."],
["other/q1.html#d1","Q1 › Depth 1","Why add jitter?","So that clients do not retry in lockstep: t = 2^k \\cdot base."],
]};
