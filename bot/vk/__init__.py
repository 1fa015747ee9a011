"""VK runtime on vk-api."""
