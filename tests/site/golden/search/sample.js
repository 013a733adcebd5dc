/* depthbook search index: [href, label, question, answer] */
(window.DEPTHBOOK_SEARCH = window.DEPTHBOOK_SEARCH || {})["sample"] = {title: "Caching \u0026 Queues — a Sample Guide", entries: [
["sample/q1.html","Q1","How would you put a cache in front of a slow database?","Start with cache-aside: read the cache, fall back to the database, then fill the cache. Costs grow like O(n \\log n) when you sort keys, and a hit is 10\\times faster. It costs $3 to save $300. Layer Latency Notes L1 1 ns per core Redis 0.5 ms über-fast, naïve eviction"],
["sample/q1.html#d1","Q1 › Depth 1","What goes wrong when many keys expire at once?","A stampede: see Depth 2 and the queue answer in Q2. def get(key):\u000a    return cache.get(key) or load(key)  # \u003cscript\u003ealert(\"x\")\u003c/script\u003e"],
["sample/q1.html#d2","Q1 › Depth 2","How do you prevent it?","Jitter the TTL so that p \\le 0.1 of keys expire together, and use a lock: First miss takes the lock. Others wait \\to read the filled cache. Special characters stay literal: # $ % \u0026 _ { } ~ ^ \\ and a_b \u0026 c."],
["sample/q1.html#d3","Q1 › Depth 3","What does the other guide say about retries?","See its first follow-up — naïve café Unicode: α, β, →."],
["sample/q2.html","Q2","When would you put a queue between two services?","When the producer is faster than the consumer, or when you need to absorb bursts (back to caching)."],
["sample/q2.html#d1","Q2 › Depth 1","What is backpressure?","The consumer signals the producer to slow down; bounded queues make it explicit. Unbounded queues hide it. bounded unbounded"],
]};
