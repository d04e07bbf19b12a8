"""Comments: threaded replies on articles, votes, the allowed-HTML policy, spam rules and moderation."""
