"""Spanish for the appeal checklist the patient keeps (toolkit/workflow/appeals.py and the
appeal_checklist templates): msgid -> msgstr, to apply to toolkit/locale/es/LC_MESSAGES/messages.po.

Kept as a dict, not edited into the .po by hand, so it can be applied to a .po another branch is
editing without a text conflict (after ``python tools/i18n.py extract``: set each empty or fuzzy
entry's ``msgstr`` to ``T[msgid]`` with ``babel.messages.pofile`` read_po/write_po, width=100).

Placeholders are the msgids' own (``%(name)s`` for templates, ``{name}`` for ``.format``). US Spanish,
usted; terms as in the rest of the catalogue: autorización previa, apelación interna, revisión externa,
carta de denegación, quien receta (the prescriber); other terms are explained once where they appear
(REMS, superbill, peer-to-peer, single-case agreement, balance billing, mental-health parity, drug compendia).
"""

T = {
    # ---- templates: appeal_checklist.md.j2 / appeal_checklist.html.j2
    "Appeal checklist after a denial: %(option)s": "Lista para apelar después de una denegación: %(option)s",
    "Please note.": "Importante.",
    "988 Suicide & Crisis Lifeline.": "988 Línea de Prevención del Suicidio y Crisis.",
    "Denial reason:": "Motivo de la denegación:",
    "Type of decision:": "Tipo de decisión:",
    "before the service (prior authorization)": "antes del servicio (autorización previa)",
    "after the service (a claim)": "después del servicio (un reclamo)",
    "; urgent: waiting could seriously harm the patient": "; urgente: esperar podría causarle un daño grave al paciente",
    "Prepared on:": "Fecha de preparación:",
    "A denial can be appealed. This sheet lists what to do now and the dates that matter.":
        "Una denegación se puede apelar. Esta hoja indica lo que debe hacer ahora y las fechas importantes.",
    "The letters for the plan (the appeal letter and the letter of medical necessity) stay in English, because the plan reads them.":
        "Las cartas para el plan (la carta de apelación y la carta de necesidad médica) están en inglés, porque el plan es quien las lee.",
    "Do not miss. %(step)s: %(day)s.": "No lo olvide. %(step)s: %(day)s.",
    "Note.": "Nota.",
    "What to do now": "Qué hacer ahora",
    "Dates": "Fechas",
    "appeal dates": "fechas de la apelación",
    "What": "Qué",
    "Details": "Detalles",
    "(past)": "(ya pasó)",
    "(estimate)": "(estimación)",
    "After the internal appeal": "Después de la apelación interna",
    "The sources are cited as they were published, in English.": "Las fuentes se citan tal como se publicaron, en inglés.",
    # ---- the denial reasons (DENIAL_REASONS: label, what it means, what to do, external review)
    "Incomplete documentation": "Documentación incompleta",
    "The plan did not receive everything its policy asks for (often the antidepressant trial history, a baseline score or the REMS enrolment).":
        "El plan no recibió todo lo que pide su política (a menudo, el historial de los antidepresivos probados, una puntuación inicial "
        "de los síntomas o la inscripción en REMS, el programa de seguridad de la FDA para Spravato).",
    "Ask the plan which item was missing and for the policy criteria it used (policy number and date).":
        "Pregunte al plan qué documento faltó y pida los criterios de la política que usó (número y fecha de la política).",
    "Ask the prescriber to send the missing records; the readiness step lists what shows each criterion and who supplies it.":
        "Pida a quien receta que envíe los registros que faltan; la revisión de preparación para la autorización previa indica qué "
        "demuestra cada criterio y quién lo aporta.",
    "Often faster than an appeal: ask the clinic to resubmit the prior-authorization request with the missing documents.":
        "Suele ser más rápido que una apelación: pida a la clínica que vuelva a enviar la solicitud de autorización previa con los "
        "documentos que faltaban.",
    "Usually settled by resubmitting; if the plan still says no after an internal appeal, ask whether the decision is eligible for external review.":
        "Normalmente se resuelve volviendo a enviar la solicitud; si el plan sigue diciendo que no después de una apelación interna, "
        "pregunte si la decisión puede pasar a revisión externa.",
    "Medical necessity not shown": "No se demostró la necesidad médica",
    "The plan's reviewer decided the treatment is not medically necessary for this patient, or that the criteria are not met.":
        "El revisor del plan decidió que el tratamiento no es médicamente necesario para este paciente, o que no se cumplen los criterios.",
    "Ask for the criteria used, the reviewer's reasoning and the reviewer's specialty.":
        "Pida los criterios que se usaron, las razones del revisor y la especialidad del revisor.",
    "Ask the prescriber for a letter that answers each criterion one by one (your advisor can prepare a draft for the prescriber).":
        "Pida a quien receta una carta que responda a cada criterio uno por uno (su asesor puede preparar un borrador para quien receta).",
    "Ask the prescriber to request a peer-to-peer conversation with the plan's reviewing doctor.":
        "Pida a quien receta que solicite una conversación de médico a médico (en inglés, «peer-to-peer») con el médico revisor del plan.",
    "Medical-judgment decisions can go to external review once the internal appeal is decided (HealthCare.gov, external review).":
        "Las decisiones basadas en criterio médico pueden pasar a revisión externa una vez decidida la apelación interna "
        "(vea «external review» en HealthCare.gov).",
    "Experimental or investigational exclusion": "Exclusión por ser experimental o en investigación",
    "The plan's policy calls the treatment experimental or investigational (common for IV ketamine; should not apply to Spravato for its FDA-approved uses).":
        "La política del plan dice que el tratamiento es experimental o está en investigación (es común con la ketamina intravenosa; "
        "no debería aplicarse a Spravato en los usos aprobados por la FDA).",
    "Ask for the medical policy that excludes it, with its number and last review date.":
        "Pida la política médica que lo excluye, con su número y la fecha de su última revisión.",
    "For Spravato: point out its FDA approval for treatment-resistant depression and for depression with acute suicidal thoughts.":
        "Para Spravato: señale que la FDA lo aprobó para la depresión resistente al tratamiento y para la depresión con pensamientos "
        "suicidas agudos.",
    "For IV ketamine: the prescriber cites the published evidence and explains why other treatments failed or are unsuitable.":
        "Para la ketamina intravenosa: quien receta cita la evidencia publicada y explica por qué otros tratamientos no funcionaron "
        "o no son adecuados.",
    "Where the plan is subject to mental-health parity, ask how the same exclusion is applied to comparable medical/surgical treatments.":
        "Si el plan está sujeto a la ley de paridad de salud mental (que exige cubrir la salud mental en las mismas condiciones que "
        "la salud física), pregunte cómo aplica esa misma exclusión a tratamientos médicos o quirúrgicos comparables.",
    "Decisions that a treatment is experimental or investigational can go to external review (HealthCare.gov, external review).":
        "Las decisiones de que un tratamiento es experimental o está en investigación pueden pasar a revisión externa "
        "(vea «external review» en HealthCare.gov).",
    "Off-label use": "Uso fuera de indicación (off-label)",
    "The drug is used outside its FDA label (IV ketamine for depression, or either option for PTSD, anxiety or pain).":
        "El medicamento se usa fuera de los usos que la FDA aprobó en su etiqueta (la ketamina intravenosa para la depresión, o "
        "cualquiera de las dos opciones para el trastorno de estrés postraumático, la ansiedad o el dolor).",
    "Ask whether the plan covers off-label uses supported by drug compendia or peer-reviewed literature, and which ones it accepts.":
        "Pregunte si el plan cubre usos fuera de indicación respaldados por compendios de medicamentos (obras de referencia "
        "oficiales) o por estudios revisados por expertos, y cuáles acepta.",
    "Ask the prescriber to cite the evidence for this use and explain why labelled options failed or are unsuitable.":
        "Pida a quien receta que cite la evidencia de este uso y explique por qué las opciones aprobadas para él no funcionaron o no "
        "son adecuadas.",
    "Compare with the on-label option: Spravato is FDA-approved for treatment-resistant depression and for depression with acute suicidal thoughts.":
        "Compare con la opción aprobada para este uso: Spravato está aprobado por la FDA para la depresión resistente al tratamiento "
        "y para la depresión con pensamientos suicidas agudos.",
    "If the plan treats it as experimental or as a medical-judgment decision, external review is available after the internal appeal.":
        "Si el plan lo trata como experimental o como una decisión de criterio médico, puede pedir una revisión externa después de "
        "la apelación interna.",
    "The clinic is not in the plan's network, or the plan has no out-of-network benefits for these codes.":
        "La clínica no está en la red del plan, o el plan no tiene beneficios fuera de la red para estos códigos.",
    "Ask whether an in-network site (REMS-certified, for Spravato) is within reasonable reach; if none is, ask for a network exception (a single-case agreement).":
        "Pregunte si hay un centro dentro de la red (con certificación REMS, para Spravato) a una distancia razonable; si no lo hay, "
        "pida una excepción de red (un acuerdo para un solo caso, en inglés «single-case agreement»).",
    "If the plan has out-of-network benefits, file the superbill before the timely-filing limit (superbill step).":
        "Si el plan tiene beneficios fuera de la red, presente el superbill (el recibo detallado con los códigos para pedir "
        "reembolso) antes de que venza el plazo del plan para presentar reclamos (vea el paso del superbill).",
    "Ask the clinic whether it will bill the plan directly, and what it would balance-bill.":
        "Pregunte a la clínica si le facturará directamente al plan, y cuánto le cobraría a usted aparte de lo que pague el plan "
        "(en inglés, «balance billing»).",
    "Network decisions are usually administrative; ask the plan whether its final decision is eligible for external review.":
        "Las decisiones sobre la red suelen ser administrativas; pregunte al plan si su decisión final puede pasar a revisión externa.",
    "Another reason": "Otro motivo",
    "The letter gives another reason (coding, quantity limit, eligibility ...).":
        "La carta da otro motivo (códigos de facturación, límite de cantidad, elegibilidad...).",
    "Ask the plan to explain the reason in writing, and what would change the decision.":
        "Pida al plan que le explique el motivo por escrito, y qué cambiaría la decisión.",
    "Ask the clinic's billing office whether a corrected claim fixes it.":
        "Pregunte a la oficina de facturación de la clínica si un reclamo corregido lo resuelve.",
    "Ask the plan whether its final decision is eligible for external review.":
        "Pregunte al plan si su decisión final puede pasar a revisión externa.",
    # ---- the dated steps (appeal_checklist())
    "Denial notice dated": "Fecha de la carta de denegación",
    "Reason given: {reason}. Keep the letter: it names the policy used and the deadlines that apply to this plan.":
        "Motivo indicado: {reason}. Guarde la carta de denegación: nombra la política que se usó y los plazos que se aplican a este plan.",
    "{days} days from the denial notice.": "{days} días a partir de la carta de denegación.",
    "Date printed on the denial letter. (The usual rule, {days} days from the notice, would give {day}.)":
        "Fecha impresa en la carta de denegación. (La regla habitual, {days} días a partir de la carta, daría el {day}.)",
    "The letter's internal-appeal deadline ({letter_day}) differs from the usual {days} days ({day}): follow the letter.":
        "El plazo para la apelación interna que indica la carta ({letter_day}) es distinto de los {days} días habituales ({day}): "
        "siga la carta.",
    "Reminder: {days} days left to file the internal appeal": "Recordatorio: quedan {days} días para presentar la apelación interna",
    "Check that the appeal letter and records are ready to send.":
        "Revise que la carta de apelación y los registros médicos estén listos para enviar.",
    "Last day to file the internal appeal": "Último día para presentar la apelación interna",
    "The internal-appeal window ended on {day}. Check the denial letter; ask the plan whether it accepts a late appeal, or ask the clinic to submit a new prior-authorization request.":
        "El plazo para la apelación interna terminó el {day}. Revise la carta de denegación; pregunte al plan si acepta una apelación "
        "tardía, o pida a la clínica que envíe una nueva solicitud de autorización previa.",
    "Internal appeal filed": "Apelación interna presentada",
    "Filed before the deadline ({day}).": "Presentada antes del plazo ({day}).",
    "Expedited (urgent) appeal: decision within {hours} hours.": "Apelación acelerada (urgente): decisión en un plazo de {hours} horas.",
    "(some sources say up to {high})": "(algunas fuentes dicen que hasta {high})",
    "Before the service: the plan decides within about {days} days{longer}.":
        "Antes del servicio: el plan decide en unos {days} días{longer}.",
    "After the service: the plan decides within about {days} days{longer}.":
        "Después del servicio: el plan decide en unos {days} días{longer}.",
    "Expected decision on the internal appeal (if filed today)": "Decisión esperada sobre la apelación interna (si la presenta hoy)",
    "Expected decision on the internal appeal": "Decisión esperada sobre la apelación interna",
    "If nothing arrives by then, call the plan and ask for the status.":
        "Si para entonces no ha recibido nada, llame al plan y pregunte en qué estado está.",
    "Last day to ask for external review": "Último día para pedir la revisión externa",
    "Date printed on the plan's letter. (The federal rule gives 4 months after the final denial, to {long_day}; {low} days, to {short_day}, is the conservative figure some pages print.)":
        "Fecha impresa en la carta del plan. (La regla federal da 4 meses después de la denegación final, hasta el {long_day}; "
        "{low} días, hasta el {short_day}, es la cifra prudente que publican algunas páginas.)",
    "Aim to ask for external review": "Procure pedir la revisión externa para esta fecha",
    "{low} days after the final internal denial: a conservative date to aim for (one HealthCare.gov page and some plans' letters print 60 days). The federal rule (45 CFR 147.136) gives 4 months (about {high} days, to {long_day}), and a state process may not allow less. Follow the date printed on the final denial letter.":
        "{low} días después de la denegación final de la apelación interna: una fecha prudente como meta (una página de "
        "HealthCare.gov y las cartas de algunos planes indican 60 días). La regla federal (45 CFR 147.136) da 4 meses (unos {high} "
        "días, hasta el {long_day}), y un proceso estatal no puede dar menos. Siga la fecha impresa en la carta de denegación final.",
    "External review decision, if requested the day the final denial arrived":
        "Decisión de la revisión externa, si se pide el día en que llegó la denegación final",
    "The independent reviewer decides within about {days} days of receiving the request; the plan must accept its decision.":
        "El revisor independiente decide en unos {days} días después de recibir la solicitud; el plan debe aceptar su decisión.",
    "Date printed on the plan's letter.": "Fecha impresa en la carta del plan.",
    "If the internal appeal is denied: ask for an independent external review. The federal rule (45 CFR 147.136) gives 4 months (about {high} days) from that final denial; aiming for {low} days is the conservative choice, since some pages and letters print 60 days. Follow the date printed on the final denial letter; your advisor can add that date to get exact dates. The reviewer decides within about {days} days, and the plan must accept the decision.":
        "Si se niega la apelación interna: pida una revisión externa independiente (la decide un revisor que no trabaja para el "
        "plan). La regla federal (45 CFR 147.136) da 4 meses (unos {high} días) a partir de esa denegación final; tomar {low} días "
        "como meta es lo prudente, porque algunas páginas y cartas indican 60 días. Siga la fecha impresa en la carta de denegación "
        "final; su asesor puede agregar esa fecha para obtener las fechas exactas. El revisor decide en unos {days} días, y el plan "
        "debe aceptar la decisión.",
    "Expedited external review decision (if requested with the urgent appeal)":
        "Decisión de la revisión externa acelerada (si se pide junto con la apelación urgente)",
    "When waiting could seriously harm the patient, external review can be asked for at the same time as the internal appeal; it is decided within {hours} hours.":
        "Cuando esperar podría causarle un daño grave al paciente, se puede pedir la revisión externa al mismo tiempo que la "
        "apelación interna; se decide en un plazo de {hours} horas.",
    "Decision on a resubmitted prior authorization (if resubmitted today)":
        "Decisión sobre una autorización previa enviada de nuevo (si se envía hoy)",
    "A new prior-authorization request is decided within {days} days.":
        "Una nueva solicitud de autorización previa se decide en un plazo de {days} días.",
    "Waiting could seriously harm the patient: ask the prescriber to request an expedited (urgent) appeal and, at the same time, an expedited external review.":
        "Esperar podría causarle un daño grave al paciente: pida a quien receta que solicite una apelación acelerada (urgente) y, "
        "al mismo tiempo, una revisión externa acelerada.",
    "Send copies, never originals; keep a note of every call (date and reference number) and every document sent.":
        "Envíe copias, nunca los originales; anote cada llamada (fecha y número de referencia) y cada documento que envíe.",
    "Follow the deadlines printed on the plan's letters: they replace the dates computed here.":
        "Siga los plazos impresos en las cartas del plan: reemplazan las fechas calculadas aquí.",
    "It falls on a {weekday}: aim to send it by {day}.": "Esa fecha cae en {weekday}: procure enviarla a más tardar el {day}.",
    "Appeal checklist: {option}": "Lista para la apelación: {option}",
    # ---- the calendar (checklist_ics())
    "Appeal dates: {option}": "Fechas de la apelación: {option}",
    "Follow the dates printed on the plan's letters.": "Siga las fechas impresas en las cartas del plan.",
    "DEADLINE: {step}": "FECHA LÍMITE: {step}",
    "Source: {source}": "Fuente: {source}",
    "Tomorrow: {step}": "Mañana: {step}",
}

