from django.contrib import admin

from cairn.consultations.models import Answer, Consultation, PaperForm, Question, Response


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "asked_by", "status", "closes_on"]
    list_filter = ["status"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["contribution"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["consultation", "channel", "status", "entered_by", "submitted_at"]
    list_filter = ["channel", "status"]
    raw_id_fields = ["person", "paper_form"]
    inlines = [AnswerInline]


@admin.register(PaperForm)
class PaperFormAdmin(admin.ModelAdmin):
    list_display = ["code", "consultation", "person", "sent_at"]
    search_fields = ["code"]
    raw_id_fields = ["person"]
