/* depthbook search: the guides whose indexes search/<slug>.js holds */
window.DEPTHBOOK_GUIDES = ["other","sample"];
