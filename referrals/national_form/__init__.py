"""The national Prevent referral form, as a practitioner filled it in and e-mailed it, read
into a draft referral (issue 15): the file checked (``files``), its text read in order
(``docx``, ``pdf``), the form's labels found and their answers understood (``layout``,
``reader``, ``values``), and the draft made (``services``)."""
