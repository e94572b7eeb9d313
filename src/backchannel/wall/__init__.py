"""The projector wall: what a session's big screen shows, and the facilitators' controls.

Safe by default: the wall shows only posts that have been public for a while (the delay, 60 s
unless changed) or, in approval mode, only posts a facilitator approved; hidden and deleted
posts never; and a facilitator can pause it in one click. The server decides what is on the
wall (`queries.wall_posts`); the wall page asks for it every few seconds and reacts at once to
`post.hidden`, `post.deleted` and `wall.updated` on the session's stream, so a post taken
down or a pause leaves the screen immediately.
"""
