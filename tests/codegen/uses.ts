// Reads the generated operation types the way a frontend would. Relations that always exist
// are typed without null, so these compile only while the schema keeps them non-null.
import type {
  DashboardQuery,
  LearningPathQuery,
  MyProgressChangedSubscription,
  RecommendationsChangedSubscription,
} from "./generated/operations";

type Me = NonNullable<DashboardQuery["me"]>;
type ProgressNode = NonNullable<Me["progress"]>["edges"][number]["node"];
type AttemptNode = NonNullable<Me["quizAttempts"]>["edges"][number]["node"];
type Path = NonNullable<LearningPathQuery["learningPath"]>;

export const progressConcept = (node: ProgressNode): string => node.concept.name;
export const attemptQuiz = (node: AttemptNode): string => node.quiz.title;
export const enrolledPath = (enrollment: Me["enrolledPaths"][number]): string =>
  enrollment.path.title;
export const masteredSkill = (mastery: Me["skillMastery"][number]): string => mastery.skill.name;
export const pathConcepts = (path: Path): string[] =>
  path.concepts.map((item) => item.concept.name);

type ProgressUpdate = MyProgressChangedSubscription["myProgressChanged"];
export const changedConcepts = (update: ProgressUpdate): string[] =>
  update.changed.map((progress) => progress.concept.name);
export const recommendedNames = (message: RecommendationsChangedSubscription): string[] =>
  message.recommendationsChanged.map((found) => found.concept.name);
