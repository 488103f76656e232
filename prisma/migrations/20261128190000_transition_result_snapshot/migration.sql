-- AlterTable
ALTER TABLE "Transition" ADD COLUMN "resultSnapshot" JSONB;
