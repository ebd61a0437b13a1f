"""/language (the interface language) and /languages (the languages of news), with their
buttons. In groups both are the admins' (the command table's ``changes_settings``)."""

from __future__ import annotations

from telegram import Update

from bot.actions import languages
from bot.i18n import is_shipped, translator
from bot.parsing.arguments import command_argument
from bot.telegram import callbacks
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import chat_ref, edit, reply
from bot.views import language as views


async def language_command(update: Update, context: BotContext) -> None:
    """/language: the buttons; /language fa: switch at once."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    typed = command_argument(message.text)
    if not typed:
        keyboard = views.language_keyboard(context.t.code)
        await reply(update, views.language_prompt_text(context.t), keyboard=keyboard)
        return
    code = languages.locale_named(typed)
    if code is None:
        await reply(update, views.language_usage_text(context.t, typed))
        return
    await languages.choose_language(
        context.services, chat_ref(update, context.t.code), context.now(), code
    )
    context.use_locale(code)
    await reply(update, views.language_changed_text(context.t))


async def on_language_button(update: Update, context: BotContext) -> None:
    """Switch to the pressed language and say so in it, in place of the buttons."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    code = callbacks.language_from_data(query.data or "")
    if code is None or not is_shipped(code):
        await query.answer()
        return
    await languages.choose_language(
        context.services, chat_ref(update, context.t.code), context.now(), code
    )
    context.use_locale(code)
    await query.answer(views.language_changed_answer(translator(code)))
    await edit(update, views.language_changed_text(context.t))


async def languages_command(update: Update, context: BotContext) -> None:
    """/languages: a toggle per language of the stored news, then Done."""
    chat = update.effective_chat
    if chat is None:
        return
    picker = await languages.news_languages(
        context.services, chat_ref(update, context.t.code), context.now()
    )
    if not picker.on_offer:
        await reply(update, views.no_news_languages_text(context.t))
        return
    keyboard = views.news_languages_keyboard(context.t, picker.on_offer, picker.chosen)
    await reply(update, views.news_languages_text(context.t, picker.chosen), keyboard=keyboard)


async def on_news_language_button(update: Update, context: BotContext) -> None:
    """Toggle the pressed language and redraw in place; Done closes the picker."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    data = query.data or ""
    ref = chat_ref(update, context.t.code)
    if data == callbacks.NEWS_LANGUAGES_DONE:
        picker = await languages.news_languages(context.services, ref, context.now())
        await query.answer()
        await edit(update, views.news_languages_done_text(context.t, picker.chosen))
        return
    language = callbacks.news_language_from_data(data)
    picker_or_none = (
        await languages.toggle_news_language(context.services, ref, context.now(), language)
        if language is not None
        else None
    )
    if language is None or picker_or_none is None:
        await query.answer(views.news_language_gone_answer(context.t), show_alert=True)
        return
    on = picker_or_none.chosen is not None and language in picker_or_none.chosen
    await query.answer(views.news_language_toggled_answer(context.t, language, on=on))
    await edit(
        update,
        views.news_languages_text(context.t, picker_or_none.chosen),
        keyboard=views.news_languages_keyboard(
            context.t, picker_or_none.on_offer, picker_or_none.chosen
        ),
    )
