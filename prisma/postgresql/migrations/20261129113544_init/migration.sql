-- Written by `prisma migrate diff --from-empty` (Prisma 6.19) from ../../schema.prisma, less the
-- `CREATE SCHEMA IF NOT EXISTS "public"` it starts with: PostgreSQL checks the right to create
-- schemas in the database before it looks whether the schema exists, so that line fails for a role
-- that may create tables in "public" but not schemas, which by default is every role but the
-- database's owner.

-- CreateEnum
CREATE TYPE "EntityStatus" AS ENUM ('STOPPED', 'IN_PROGRESS', 'CANCELLING', 'AWAITING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EntityEvent" AS ENUM ('START_WORK', 'SUCCESSFULLY_DONE', 'AWAITING_ON_INPUT', 'CANCEL_REQUESTED', 'ERROR_ENCOUNTERED', 'TIMEOUT_OR_ERROR', 'INPUT_RECEIVED', 'CANCEL_WHILE_WAITING', 'CANCEL_CONFIRMED');

-- CreateEnum
CREATE TYPE "EntityType" AS ENUM ('MISSION', 'JOB', 'CASE');

-- CreateTable
CREATE TABLE "Mission" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "EntityStatus" NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Mission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "EntityStatus" NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "agentName" TEXT NOT NULL,
    "missionId" TEXT,
    "jobContext" JSONB,
    "payload" JSONB,
    "result" JSONB,
    "error" TEXT,
    "agentParameters" JSONB,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "EntityStatus" NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "jobId" TEXT NOT NULL,
    "totalCost" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "finalDelivery" JSONB,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseUpdate" (
    "caseId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT,
    "cost" DOUBLE PRECISION,
    "payload" JSONB,
    "isFinal" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CaseUpdate_pkey" PRIMARY KEY ("caseId","index")
);

-- CreateTable
CREATE TABLE "Transition" (
    "id" SERIAL NOT NULL,
    "entityType" "EntityType" NOT NULL,
    "missionId" TEXT,
    "jobId" TEXT,
    "caseId" TEXT,
    "event" "EntityEvent" NOT NULL,
    "fromStatus" "EntityStatus" NOT NULL,
    "toStatus" "EntityStatus" NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT,
    "reason" TEXT,
    "idempotencyKey" TEXT,
    "resultSnapshot" JSONB,

    CONSTRAINT "Transition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Mission_status_createdAt_id_idx" ON "Mission"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_createdAt_id_idx" ON "Mission"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_missionId_createdAt_id_idx" ON "Job"("missionId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_id_idx" ON "Job"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_agentName_createdAt_id_idx" ON "Job"("agentName", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_createdAt_id_idx" ON "Job"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_jobId_createdAt_id_idx" ON "Case"("jobId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_status_createdAt_id_idx" ON "Case"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_createdAt_id_idx" ON "Case"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_missionId_idempotencyKey_key" ON "Transition"("missionId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_jobId_idempotencyKey_key" ON "Transition"("jobId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_caseId_idempotencyKey_key" ON "Transition"("caseId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseUpdate" ADD CONSTRAINT "CaseUpdate_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transition" ADD CONSTRAINT "Transition_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transition" ADD CONSTRAINT "Transition_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transition" ADD CONSTRAINT "Transition_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

