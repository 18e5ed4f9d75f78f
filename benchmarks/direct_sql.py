"""Hand-written minimal SQL and Cypher for the benchmarked reads: the lower bound."""

from __future__ import annotations

__all__ = [
    "ACHIEVEMENTS",
    "ACTIVE_DAYS",
    "ATTEMPTS",
    "CONCEPT",
    "CONCEPTS_PAGE",
    "ENROLLED",
    "FIGURES",
    "MY_PROGRESS",
    "PATH",
    "PATH_ENROLLMENT",
    "PATH_ITEMS",
    "PREREQUISITES",
    "PROGRESS_PAGE",
    "QUIZZES",
    "USER",
]

USER = """
SELECT u.id, u.username, u.role, p.first_name, p.last_name, p.timezone,
       lp.daily_goal_minutes, lp.preferred_difficulty, lp.dark_mode
FROM users u
LEFT JOIN profiles p ON p.user_id = u.id
LEFT JOIN learning_preferences lp ON lp.user_id = u.id
WHERE u.id = %(user)s
"""

FIGURES = """
SELECT
  (SELECT avg(progress_percent) FROM concept_progress WHERE user_id = %(user)s),
  (SELECT count(*) FROM concept_progress WHERE user_id = %(user)s AND status IN ('completed', 'mastered')),
  (SELECT count(*) FROM concept_progress WHERE user_id = %(user)s AND status = 'mastered'),
  (SELECT coalesce(sum(duration_seconds), 0) FROM learning_sessions WHERE user_id = %(user)s),
  (SELECT count(*) FROM concepts c
   WHERE NOT EXISTS (SELECT 1 FROM concept_progress p WHERE p.user_id = %(user)s
                     AND p.concept_id = c.id AND p.status IN ('completed', 'mastered'))
     AND NOT EXISTS (SELECT 1 FROM concept_relations r
                     WHERE r.target_id = c.id AND r.kind = 'prerequisite' AND NOT EXISTS (
                       SELECT 1 FROM concept_progress q WHERE q.user_id = %(user)s
                       AND q.concept_id = r.source_id AND q.status IN ('completed', 'mastered'))))
"""

ACTIVE_DAYS = """
SELECT DISTINCT day FROM (
  SELECT (started_at AT TIME ZONE 'UTC')::date AS day FROM learning_sessions
   WHERE user_id = %(user)s AND started_at >= now() - interval '400 days'
  UNION SELECT (updated_at AT TIME ZONE 'UTC')::date FROM concept_progress
   WHERE user_id = %(user)s AND updated_at >= now() - interval '400 days'
  UNION SELECT (submitted_at AT TIME ZONE 'UTC')::date FROM quiz_attempts
   WHERE user_id = %(user)s AND submitted_at >= now() - interval '400 days'
) AS days
"""

PROGRESS_PAGE = """
SELECT c.id, c.name, c.display_name, cp.status, cp.progress_percent, cp.mastery_score,
       cp.updated_at, count(*) OVER () AS total
FROM concept_progress cp JOIN concepts c ON c.id = cp.concept_id
WHERE cp.user_id = %(user)s
ORDER BY cp.updated_at DESC, cp.concept_id
LIMIT %(limit)s
"""

ATTEMPTS = """
SELECT a.id, q.id, q.title, a.score, a.max_score, a.passed, a.submitted_at
FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id
WHERE a.user_id = %(user)s ORDER BY a.submitted_at DESC LIMIT 10
"""

ACHIEVEMENTS = """
SELECT a.code, a.title, w.awarded_at FROM achievement_awards w
JOIN achievements a ON a.id = w.achievement_id WHERE w.user_id = %(user)s ORDER BY w.awarded_at
"""

ENROLLED = """
SELECT lp.id, lp.title, e.status, e.progress_percent FROM path_enrollments e
JOIN learning_paths lp ON lp.id = e.path_id WHERE e.user_id = %(user)s
"""

CONCEPT = """
SELECT id, name, display_name, description, detailed_description, domain, category, subcategory,
       difficulty, complexity_score, cognitive_load, key_terms, synonyms, learning_objectives,
       practical_applications, real_world_examples, version
FROM concepts WHERE name = %(name)s
"""

QUIZZES = """
SELECT q.id, q.title, q.passing_score, qu.id, qu.prompt, qu.kind, qu.options, qu.points
FROM quizzes q LEFT JOIN questions qu ON qu.quiz_id = q.id
WHERE q.concept_id = %(concept)s ORDER BY q.title, qu.order_index
"""

MY_PROGRESS = """
SELECT status, progress_percent, mastery_score FROM concept_progress
WHERE user_id = %(user)s AND concept_id = %(concept)s
"""

PREREQUISITES = """
MATCH (target:Concept {id: $id})
MATCH path = (pre:Concept)-[:PREREQUISITE*1..3]->(target)
WITH pre, min(length(path)) AS distance
ORDER BY distance, pre.name
RETURN pre.id AS id, pre.name AS name, pre.display_name AS display_name
"""

PATH = """
SELECT id, title, description, category, difficulty, estimated_hours, target_audience
FROM learning_paths WHERE id = %(path)s
"""

PATH_ITEMS = """
SELECT i.order_index, i.is_required, c.id, c.name, c.display_name, cp.status
FROM learning_path_items i JOIN concepts c ON c.id = i.concept_id
LEFT JOIN concept_progress cp ON cp.concept_id = c.id AND cp.user_id = %(user)s
WHERE i.path_id = %(path)s ORDER BY i.order_index
"""

PATH_ENROLLMENT = """
SELECT status, progress_percent FROM path_enrollments WHERE user_id = %(user)s AND path_id = %(path)s
"""

CONCEPTS_PAGE = """
SELECT id, name, display_name, domain, category, difficulty, count(*) OVER () AS total
FROM concepts ORDER BY name LIMIT %(limit)s OFFSET %(offset)s
"""
