/* depthbook search index: [href, guide, label, question, answer] */
window.DEPTHBOOK_INDEX = [
["other/q1.html#d1","Retries","Q1 › Depth 1","Why add jitter?","So that clients do not retry in lockstep: t = 2^k \\cdot base."],
["sample/q1.html#d1","Caching \u0026 Queues — a Sample Guide","Q1 › Depth 1","What goes wrong when many keys expire at once?","A stampede: see Depth 2 and the queue answer in Q2. def get(key):\u000a    return cache.get(key) or load(key)  # \u003cscript\u003ealert(\"x\")\u003c/script\u003e"],
["sample/q1.html#d2","Caching \u0026 Queues — a Sample Guide","Q1 › Depth 2","How do you prevent it?","Jitter the TTL so that p \\le 0.1 of keys expire together, and use a lock: First miss takes the lock. Others wait \\to read the filled cache. Special characters stay literal: # $ % \u0026 _ { } ~ ^ \\ and a_b \u0026 c."],
["sample/q1.html#d3","Caching \u0026 Queues — a Sample Guide","Q1 › Depth 3","What does the other guide say about retries?","See its first follow-up — naïve café Unicode: α, β, →."],
["sample/q2.html#d1","Caching \u0026 Queues — a Sample Guide","Q2 › Depth 1","What is backpressure?","The consumer signals the producer to slow down; bounded queues make it explicit. Unbounded queues hide it. bounded unbounded"],
];
